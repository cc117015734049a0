package io.understudy.center;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Package rules of STYLE.md 1.1 and 1.2 that the module graph cannot enforce. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.understudy.center");
    }

    @Test
    void theControlCenterNeverDependsOnADatabaseEngine() {
        noClasses()
                .that()
                .resideInAPackage("io.understudy.center..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.understudy.engine..")
                .because("the Control Center never connects to a managed database; only agents do")
                .check(classes);
    }

    @Test
    void theStoreDependsOnNothingElseOfTheControlCenter() {
        noClasses()
                .that()
                .resideInAPackage("io.understudy.center.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.understudy.center.api..",
                        "io.understudy.center.events..",
                        "io.understudy.center.monitor..",
                        "io.understudy.center.orchestrator..",
                        "io.understudy.center.auth..")
                .check(classes);
    }

    @Test
    void theMonitorRecordsAndNeverDecides() {
        noClasses()
                .that()
                .resideInAnyPackage("io.understudy.center.monitor..", "io.understudy.center.events..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.understudy.center.orchestrator..")
                .because("the orchestrator decides from what the monitor recorded, not the other way round")
                .check(classes);
    }

    @Test
    void theRulesArePure() {
        noClasses()
                .that()
                .haveSimpleNameStartingWith("GroupStateMachine")
                .or()
                .haveSimpleNameStartingWith("ReplicationHealth")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.understudy.center.events..", "java.sql..", "org.jdbi..", "java.net..", "java.nio.file..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.understudy.center.store.Store")
                .orShould()
                .callMethod(java.time.Instant.class, "now")
                .because("decide(snapshot, now) reads no clock and does no I/O (STYLE.md 2.2)")
                .check(classes);
    }

    @Test
    void onlyTheWiringDependsOnTheApi() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.understudy.center.store..",
                        "io.understudy.center.events..",
                        "io.understudy.center.monitor..",
                        "io.understudy.center.orchestrator..",
                        "io.understudy.center.auth..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.understudy.center.api..")
                .check(classes);
    }

    @Test
    void theEventLogDependsOnlyOnTheStore() {
        noClasses()
                .that()
                .resideInAPackage("io.understudy.center.events..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.understudy.center.monitor..", "io.understudy.center.auth..")
                .check(classes);
    }

    @Test
    void nothingHoldsAJdbcStoreButTheWiring() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.understudy.center.api..",
                        "io.understudy.center.events..",
                        "io.understudy.center.monitor..",
                        "io.understudy.center.orchestrator..",
                        "io.understudy.center.auth..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.understudy.center.store.JdbcStore")
                .because("everything but the wiring uses the Store interface")
                .check(classes);
    }
}
